import { SegmentedControl } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { LANGUAGES, type Language, chooseLanguage, supportedLanguage } from "./createI18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation("common");
  const current = supportedLanguage(i18n.resolvedLanguage) ?? "en";
  return (
    <SegmentedControl
      size="xs"
      aria-label={t("language.label")}
      value={current}
      onChange={(value) => chooseLanguage(i18n, value as Language)}
      data={LANGUAGES.map((language) => ({ value: language, label: t(`language.${language}`) }))}
    />
  );
}
