import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useBranding } from "../branding/BrandingProvider";
import { chosenLanguage, supportedLanguage } from "./createI18n";

/** Unless the user chose a language, the deployment's locale sets it. */
export function useBrandingLanguage(): void {
  const { branding } = useBranding();
  const { i18n } = useTranslation();
  useEffect(() => {
    const language = supportedLanguage(branding?.locale);
    if (language && chosenLanguage() === null && i18n.resolvedLanguage !== language) {
      void i18n.changeLanguage(language);
    }
  }, [branding?.locale, i18n]);
}
