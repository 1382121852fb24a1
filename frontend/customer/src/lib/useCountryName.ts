import { useTranslation } from "react-i18next";
import { countryName } from "./countries";

export function useCountryName(): (code: string) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? "en";
  return (code) => countryName(code, language);
}
