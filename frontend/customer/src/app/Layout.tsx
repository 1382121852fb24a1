import { Anchor, AppShell, Burger, Group, Image, Indicator, NavLink, ScrollArea, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { LanguageSwitch, useAuthStatus, useBranding, useBrandingLanguage, useServices } from "@oms/shared";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { CategoryNav } from "../features/catalogue/components/CategoryNav";
import { cart, cartCount, useCart } from "../lib/cart";
import { PageLoader } from "./PageLoader";

function ShopName() {
  const { branding } = useBranding();
  const { t } = useTranslation();
  return (
    <UnstyledButton component={Link} to="/" aria-label={t("nav.home")}>
      <Group gap="xs" wrap="nowrap">
        {branding?.logo_url && <Image src={branding.logo_url} alt="" h={32} w="auto" fit="contain" />}
        <Title order={1} size="h4" lineClamp={1}>
          {branding?.shop_name ?? ""}
        </Title>
      </Group>
    </UnstyledButton>
  );
}

function MainLinks({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const signedIn = useAuthStatus() === "signed-in";
  const count = cartCount(useCart());
  const { auth, config } = useServices();
  const navigate = useNavigate();
  const signOut = async () => {
    onNavigate();
    cart.clear();
    await auth.signOut();
    await navigate("/sign-in");
  };
  if (!signedIn) {
    return (
      <>
        <NavLink component={Link} to="/sign-in" label={t("nav.signIn")} active={pathname === "/sign-in"} onClick={onNavigate} />
        {config.registration_enabled && config.mode === "local" && (
          <NavLink component={Link} to="/sign-up" label={t("nav.signUp")} active={pathname === "/sign-up"} onClick={onNavigate} />
        )}
      </>
    );
  }
  return (
    <>
      <NavLink component={Link} to="/" label={t("nav.shop")} active={pathname === "/"} onClick={onNavigate} />
      <NavLink
        component={Link}
        to="/cart"
        label={t("nav.cart")}
        active={pathname === "/cart" || pathname === "/checkout"}
        rightSection={count > 0 ? <Text size="sm" fw={700} aria-label={t("cart.count", { count })}>{count}</Text> : null}
        onClick={onNavigate}
      />
      <NavLink component={Link} to="/orders" label={t("nav.orders")} active={pathname.startsWith("/orders")} onClick={onNavigate} />
      <NavLink component={Link} to="/account" label={t("nav.account")} active={pathname === "/account"} onClick={onNavigate} />
      <NavLink component="button" label={t("nav.signOut")} onClick={() => void signOut()} />
    </>
  );
}

function Footer() {
  const { branding } = useBranding();
  if (!branding?.footer_text && !branding?.legal_links.length) return null;
  return (
    <Stack gap={4} mt="xl" pt="md" style={{ borderTop: "1px solid var(--mantine-color-gray-3)" }} component="footer">
      {branding.footer_text && (
        <Text size="sm" c="dimmed">
          {branding.footer_text}
        </Text>
      )}
      <Group gap="md">
        {branding.legal_links.map((link) => (
          <Anchor key={link.url} href={link.url} size="sm" target="_blank" rel="noreferrer">
            {link.label}
          </Anchor>
        ))}
      </Group>
    </Stack>
  );
}

/** The page frame: header with the shop's name and logo, navigation (a burger menu on a
 * phone), the page, the footer. */
export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { t } = useTranslation();
  const signedIn = useAuthStatus() === "signed-in";
  const count = cartCount(useCart());
  useBrandingLanguage();
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 260, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? t("common:nav.close") : t("common:nav.open")} />
            <ShopName />
          </Group>
          <Group gap="sm" wrap="nowrap">
            {signedIn && (
              <Indicator label={count} size={18} disabled={count === 0}>
                <Anchor component={Link} to="/cart" fw={600} aria-label={t("cart.linkWithCount", { count })}>
                  {t("nav.cart")}
                </Anchor>
              </Indicator>
            )}
            <Group visibleFrom="xs">
              <LanguageSwitch />
            </Group>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t("nav.label")}>
        <AppShell.Section grow component={ScrollArea}>
          <MainLinks onNavigate={close} />
          {signedIn && <CategoryNav onNavigate={close} />}
        </AppShell.Section>
        <AppShell.Section hiddenFrom="xs" pt="sm">
          <LanguageSwitch />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
        <Footer />
      </AppShell.Main>
    </AppShell>
  );
}
