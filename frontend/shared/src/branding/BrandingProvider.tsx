import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { type ReactNode, createContext, useContext, useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClient, bodyOf } from "../api/client";
import { useApi } from "../auth/ServicesProvider";
import { type Formatters, createFormatters } from "./format";
import { type Branding, accessibleColours, themeFromBranding } from "./theme";

export function brandingQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["branding"],
    queryFn: () => bodyOf(api.GET("/api/v1/branding")),
    staleTime: 5 * 60_000,
  });
}

interface BrandingContextValue {
  branding: Branding | undefined;
  format: Formatters;
}

const resolveColours = accessibleColours();

const BrandingContext = createContext<BrandingContextValue | null>(null);

/** Swaps the page's favicon link for the deployment's. */
function useFavicon(url: string | null | undefined): void {
  useEffect(() => {
    if (!url) return;
    let link = document.querySelector<HTMLLinkElement>("link[rel='icon']");
    if (!link) {
      link = document.createElement("link");
      link.rel = "icon";
      document.head.appendChild(link);
    }
    link.href = url;
  }, [url]);
}

/** Themes everything below it from `GET /branding`, so a branding change shows on the next
 * load without a rebuild. */
export function BrandingProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { data: branding } = useQuery(brandingQuery(api));
  const { t } = useTranslation("common");
  const close = t("close");
  const theme = useMemo(
    () => themeFromBranding(branding ?? { primary_colour: "#2563eb", accent_colour: "#2563eb" }, { close }),
    [branding, close],
  );
  const value = useMemo(
    () => ({
      branding,
      format: createFormatters(branding?.locale ?? navigator.language, branding?.currency ?? "EUR"),
    }),
    [branding],
  );
  useFavicon(branding?.favicon_url);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={resolveColours}>
      <Notifications />
      <BrandingContext.Provider value={value}>{children}</BrandingContext.Provider>
    </MantineProvider>
  );
}

export function useBranding(): BrandingContextValue {
  const value = useContext(BrandingContext);
  if (!value) throw new Error("useBranding outside BrandingProvider");
  return value;
}

/** Sets `document.title` to "<page> · <shop name>". */
export function useDocumentTitle(page: string | undefined): void {
  const { branding } = useBranding();
  useEffect(() => {
    const shop = branding?.shop_name;
    document.title = [page, shop].filter(Boolean).join(" · ");
  }, [page, branding?.shop_name]);
}
