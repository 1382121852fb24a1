import { Anchor, AspectRatio, Button, Card, Center, Group, Image, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Money, type Product } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { cart } from "../../../lib/cart";
import { StockBadge } from "./StockBadge";

export function ProductCard({ product }: { product: Product }) {
  const { t } = useTranslation();
  const image = product.images[0];
  const soldOut = product.stock !== null && product.stock <= 0;
  const add = () => {
    cart.add({ productId: product.id, sku: product.sku, name: product.name, unitPrice: product.price });
    notifications.show({ message: t("cart.added", { name: product.name }), color: "green" });
  };
  return (
    <Card withBorder padding="md" component="article" aria-labelledby={`product-${product.id}`}>
      <Card.Section>
        <AspectRatio ratio={4 / 3}>
          {image ? (
            <Image src={image.url} alt={product.name} fit="cover" />
          ) : (
            <Center bg="gray.1">
              <Text c="dimmed" size="sm">
                {t("catalogue.noImage")}
              </Text>
            </Center>
          )}
        </AspectRatio>
      </Card.Section>
      <Stack gap={6} mt="sm">
        <Anchor component={Link} to={`/p/${product.id}`} fw={600} id={`product-${product.id}`} lineClamp={2}>
          {product.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {product.sku}
        </Text>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={700}>
            <Money amount={product.price} currency={product.currency} />
          </Text>
          <StockBadge stock={product.stock} />
        </Group>
        <Button onClick={add} disabled={soldOut} aria-label={t("cart.addNamed", { name: product.name })}>
          {t("cart.add")}
        </Button>
      </Stack>
    </Card>
  );
}
