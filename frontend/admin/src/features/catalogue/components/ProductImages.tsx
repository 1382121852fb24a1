import { Alert, Badge, Button, Card, FileButton, Group, Image, Loader, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { ProblemAlert, problemMessage } from "@oms/shared";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Product, useAddImage, useRemoveImage } from "../api";

const ACCEPTED = "image/png,image/jpeg,image/webp";
/** As many as the API keeps for a product. */
const MAX_IMAGES = 8;

interface Pending {
  key: string;
  url: string;
  name: string;
  error: unknown;
}

/** The product's images: one chosen is shown at once from the file itself (an object URL)
 * while it uploads, then as the stored image the API answers. */
export function ProductImages({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { t: common } = useTranslation("common");
  const add = useAddImage(product.id);
  const remove = useRemoveImage(product.id);
  const [pending, setPending] = useState<Pending[]>([]);
  const resetRef = useRef<() => void>(null);
  const urls = useRef(new Set<string>());
  useEffect(() => {
    const held = urls.current;
    return () => held.forEach((url) => URL.revokeObjectURL(url));
  }, []);

  const drop = (key: string) =>
    setPending((list) =>
      list.filter((item) => {
        if (item.key !== key) return true;
        URL.revokeObjectURL(item.url);
        urls.current.delete(item.url);
        return false;
      }),
    );

  const upload = async (files: File[]) => {
    resetRef.current?.();
    const chosen = files.map((file) => {
      const url = URL.createObjectURL(file);
      urls.current.add(url);
      return { key: url, url, name: file.name, file };
    });
    setPending((list) => [...list, ...chosen.map(({ key, url, name }) => ({ key, url, name, error: null }))]);
    // One after the other, in the order chosen: the product keeps them in that order.
    for (const item of chosen) {
      try {
        await add.mutateAsync(item.file);
        drop(item.key);
      } catch (error) {
        setPending((list) => list.map((entry) => (entry.key === item.key ? { ...entry, error } : entry)));
      }
    }
  };

  const full = product.images.length + pending.filter((item) => !item.error).length >= MAX_IMAGES;
  return (
    <Card withBorder component="section" aria-labelledby="images-title">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h5" id="images-title">
            {t("catalogue.images.title")}
          </Title>
          <FileButton onChange={(files) => void upload(files)} accept={ACCEPTED} multiple resetRef={resetRef}>
            {(props) => (
              <Button {...props} size="xs" variant="light" disabled={full}>
                {t("catalogue.images.add")}
              </Button>
            )}
          </FileButton>
        </Group>
        <Text size="sm" c="dimmed">
          {t("catalogue.images.hint", { max: MAX_IMAGES })}
        </Text>
        <ProblemAlert error={remove.error} />
        {product.images.length === 0 && pending.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t("catalogue.images.none")}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            {product.images.map((image, index) => (
              <Card key={image.id} withBorder padding="xs">
                <Card.Section>
                  <Image src={image.url} alt={t("catalogue.images.stored", { index: index + 1, name: product.name })} h={120} fit="contain" />
                </Card.Section>
                <Group justify="space-between" mt="xs" gap={4}>
                  <Text size="xs" c="dimmed">
                    {image.width} × {image.height}
                  </Text>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    loading={remove.isPending && remove.variables === image.id}
                    onClick={() => remove.mutate(image.id)}
                    aria-label={t("catalogue.images.removeNamed", { index: index + 1 })}
                  >
                    {t("catalogue.images.remove")}
                  </Button>
                </Group>
              </Card>
            ))}
            {pending.map((item) => (
              <Card key={item.key} withBorder padding="xs" aria-busy={!item.error}>
                <Card.Section>
                  <Image src={item.url} alt={t("catalogue.images.preview", { name: item.name })} h={120} fit="contain" />
                </Card.Section>
                {item.error ? (
                  <Stack gap={4} mt="xs">
                    <Alert color="red" p="xs" role="alert">
                      <Text size="xs">{problemMessage(item.error, common)}</Text>
                    </Alert>
                    <Button size="compact-xs" variant="subtle" onClick={() => drop(item.key)}>
                      {t("catalogue.images.dismiss")}
                    </Button>
                  </Stack>
                ) : (
                  <Group gap={6} mt="xs" role="status">
                    <Loader size="xs" />
                    <Badge variant="outline" color="dark">
                      {t("catalogue.images.uploading")}
                    </Badge>
                  </Group>
                )}
              </Card>
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}
