import { Button, Card, FileInput, Group, Image, Stack, Text } from "@mantine/core";
import { ProblemAlert, isStaleEdit } from "@oms/shared";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { IMAGE_TYPES, type ImageSlot, useRemoveImage, useUploadImage } from "../api";
import type { Branding } from "../values";

/** A logo or favicon: the one saved, a chosen file previewed before it is uploaded, and
 * uploading or removing it (each a write of its own, guarded by the version this page
 * edits). */
export function ImageField({
  image,
  current,
  version,
  onSaved,
  onStale,
}: {
  image: ImageSlot;
  current: string | null;
  version: number;
  onSaved: (branding: Branding) => void;
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  const upload = useUploadImage();
  const remove = useRemoveImage();
  // The chosen file is shown from an object URL, given back when another is chosen or the
  // field goes away.
  const shownUrl = useRef<string | null>(null);
  const choose = (chosen: File | null) => {
    if (shownUrl.current) URL.revokeObjectURL(shownUrl.current);
    shownUrl.current = chosen ? URL.createObjectURL(chosen) : null;
    setFile(chosen);
    setObjectUrl(shownUrl.current);
  };
  useEffect(
    () => () => {
      if (shownUrl.current) URL.revokeObjectURL(shownUrl.current);
    },
    [],
  );
  const handlers = {
    onSuccess: (branding: Branding) => {
      choose(null);
      onSaved(branding);
    },
    onError: (error: unknown) => isStaleEdit(error) && onStale(),
  };
  const shown = objectUrl ?? current;
  const label = t(`branding.${image}`);
  const error = upload.error ?? remove.error;
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {label}
        </Text>
        <Group align="flex-start" wrap="nowrap">
          <Card withBorder padding={4} w={96} h={64} style={{ display: "flex", alignItems: "center", justifyContent: "center" }}>
            {shown ? (
              <Image src={shown} alt={objectUrl ? t("branding.chosenImage", { image: label }) : t("branding.currentImage", { image: label })} mah={56} maw={88} fit="contain" />
            ) : (
              <Text size="xs" c="dimmed">
                {t("branding.noImage")}
              </Text>
            )}
          </Card>
          <Stack gap="xs" style={{ flex: 1 }}>
            <FileInput
              label={t("branding.chooseImage", { image: label })}
              placeholder={t("branding.chooseFile")}
              accept={IMAGE_TYPES.join(",")}
              value={file}
              onChange={choose}
              clearable
              clearButtonProps={{ "aria-label": t("branding.clearFile", { image: label }) }}
              description={t("branding.imageHint")}
            />
            <Group gap="xs">
              <Button
                size="xs"
                disabled={!file}
                loading={upload.isPending}
                onClick={() => file && upload.mutate({ image, file, version }, handlers)}
              >
                {t("branding.upload", { image: label })}
              </Button>
              {current && (
                <Button size="xs" variant="default" loading={remove.isPending} onClick={() => remove.mutate({ image, version }, handlers)}>
                  {t("branding.remove", { image: label })}
                </Button>
              )}
            </Group>
          </Stack>
        </Group>
        {!isStaleEdit(error) && <ProblemAlert error={error} />}
      </Stack>
    </Card>
  );
}
