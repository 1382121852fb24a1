import { Button, Group } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/** The buttons under a status's or a transition's form: delete (asked twice) when it
 * exists, cancel, and save or create. */
export function EditorActions({
  exists,
  deleteLabel,
  createLabel,
  deleting,
  saving,
  onDelete,
  onCancel,
}: {
  exists: boolean;
  deleteLabel: string;
  createLabel: string;
  deleting: boolean;
  saving: boolean;
  onDelete: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <Group justify="space-between">
      {exists ? (
        confirmDelete ? (
          <Group gap="xs">
            <Button color="red" loading={deleting} onClick={onDelete}>
              {t("workflow.confirmDelete")}
            </Button>
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              {t("workflow.keep")}
            </Button>
          </Group>
        ) : (
          <Button variant="light" color="red" onClick={() => setConfirmDelete(true)}>
            {deleteLabel}
          </Button>
        )
      ) : (
        <span />
      )}
      <Group gap="xs">
        <Button variant="default" onClick={onCancel}>
          {t("workflow.cancel")}
        </Button>
        <Button type="submit" loading={saving}>
          {exists ? t("workflow.save") : createLabel}
        </Button>
      </Group>
    </Group>
  );
}
