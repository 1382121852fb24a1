import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { problemMessage } from "./problemMessage";

/** The message of a failed submit, above the form (field errors go to their fields). */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation("common");
  if (!error) return null;
  return (
    <Alert color="red" title={title ?? t("error.title")} role="alert">
      {problemMessage(error, t)}
    </Alert>
  );
}
