import { BrandingProvider, type Services, ServicesProvider } from "@oms/shared";
import type { i18n as I18n } from "i18next";
import { I18nextProvider } from "react-i18next";
import { RouterProvider } from "react-router";
import { router } from "./router";

export function App({ services, i18n }: { services: Services; i18n: I18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <ServicesProvider services={services}>
        <BrandingProvider>
          <RouterProvider router={router} />
        </BrandingProvider>
      </ServicesProvider>
    </I18nextProvider>
  );
}
