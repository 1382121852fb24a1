import { ActionIcon, Button, Card, Group, NumberInput, Stack, Text, Title } from "@mantine/core";
import { EmptyState, Money, useDocumentTitle } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { MAX_QUANTITY, cart, useCart } from "../../../lib/cart";

export function CartPage() {
  const { t } = useTranslation();
  const lines = useCart();
  useDocumentTitle(t("cart.title"));
  return (
    <Stack>
      <Title order={2}>{t("cart.title")}</Title>
      {lines.length === 0 ? (
        <Stack align="center">
          <EmptyState>{t("cart.empty")}</EmptyState>
          <Button component={Link} to="/">
            {t("cart.continue")}
          </Button>
        </Stack>
      ) : (
        <>
          <Stack gap="sm" component="ul" p={0} style={{ listStyle: "none" }}>
            {lines.map((line) => (
              <Card key={line.productId} withBorder component="li" padding="sm">
                <Group justify="space-between" wrap="wrap" gap="sm">
                  <Stack gap={0} style={{ flex: "1 1 12rem" }}>
                    <Text component={Link} to={`/p/${line.productId}`} fw={600}>
                      {line.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {line.sku} · <Money amount={line.unitPrice} />
                    </Text>
                  </Stack>
                  <Group gap="xs" wrap="nowrap">
                    <NumberInput
                      aria-label={t("cart.quantityOf", { name: line.name })}
                      value={line.quantity}
                      min={1}
                      max={MAX_QUANTITY}
                      allowDecimal={false}
                      w={90}
                      onChange={(value) => typeof value === "number" && cart.setQuantity(line.productId, value)}
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      size="lg"
                      aria-label={t("cart.remove", { name: line.name })}
                      onClick={() => cart.remove(line.productId)}
                    >
                      ×
                    </ActionIcon>
                  </Group>
                </Group>
              </Card>
            ))}
          </Stack>
          <Group justify="space-between">
            <Button variant="subtle" color="red" onClick={() => cart.clear()}>
              {t("cart.clear")}
            </Button>
            <Button component={Link} to="/checkout" size="md">
              {t("cart.checkout")}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
