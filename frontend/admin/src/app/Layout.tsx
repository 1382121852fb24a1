import { AppShell, Badge, Burger, Group, Image, NavLink, ScrollArea, Text, Title, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { LanguageSwitch, useAuthStatus, useBranding, useBrandingLanguage, useMe, useServices } from "@oms/shared";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { NoAccess, STAFF, useCan } from "./access";
import { PageLoader } from "./PageLoader";
import { SECTIONS, activeSection } from "./sections";

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
        <Badge variant="light">{t("nav.admin")}</Badge>
      </Group>
    </UnstyledButton>
  );
}

function SectionLinks({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const { data: me } = useMe();
  const active = activeSection(pathname);
  const allowed = SECTIONS.filter((section) => me?.permissions.includes(section.permission));
  return (
    <>
      {allowed.map((section) => (
        <NavLink
          key={section.key}
          component={Link}
          to={section.path}
          label={t(`nav.${section.key}`)}
          active={active?.key === section.key}
          onClick={onNavigate}
        />
      ))}
    </>
  );
}

function Account() {
  const { t } = useTranslation();
  const { auth } = useServices();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const signOut = async () => {
    await auth.signOut();
    await navigate("/sign-in");
  };
  return (
    <Group gap="sm" wrap="nowrap">
      {me && (
        <Text size="sm" visibleFrom="sm">
          {me.email}
        </Text>
      )}
      <UnstyledButton onClick={() => void signOut()}>
        <Text size="sm" fw={600}>
          {t("nav.signOut")}
        </Text>
      </UnstyledButton>
    </Group>
  );
}

/** Staff's frame: header, the sections this user may open, the page. A signed-in user who
 * is not staff sees why they cannot go on. */
export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { t } = useTranslation();
  const signedIn = useAuthStatus() === "signed-in";
  const staff = useCan(STAFF);
  useBrandingLanguage();
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? t("common:nav.close") : t("common:nav.open")} />
            <ShopName />
          </Group>
          <Group gap="md" wrap="nowrap">
            <Group visibleFrom="xs">
              <LanguageSwitch />
            </Group>
            {signedIn && <Account />}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t("nav.label")}>
        <AppShell.Section grow component={ScrollArea}>
          {signedIn && staff && <SectionLinks onNavigate={close} />}
        </AppShell.Section>
        <AppShell.Section hiddenFrom="xs" pt="sm">
          <LanguageSwitch />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<PageLoader />}>{signedIn && staff === false ? <NoAccess /> : <Outlet />}</Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
