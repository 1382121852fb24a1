import { AspectRatio, Button, Center, Grid, Group, Image, NumberInput, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Money, QueryState, type Product, useDocumentTitle } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { MAX_QUANTITY, cart } from "../../../lib/cart";
import { useProduct } from "../api";
import { StockBadge } from "./StockBadge";

function Gallery({ product }: { product: Product }) {
  const { t } = useTranslation();
  const images = product.images;
  const [selected, setSelected] = useState(0);
  const current = images[selected] ?? images[0];
  if (!current) {
    return (
      <AspectRatio ratio={4 / 3}>
        <Center bg="gray.1">
          <Text c="dimmed">{t("catalogue.noImage")}</Text>
        </Center>
      </AspectRatio>
    );
  }
  return (
    <Stack gap="xs">
      <AspectRatio ratio={current.width / current.height || 4 / 3}>
        <Image src={current.url} alt={t("catalogue.imageOf", { name: product.name, index: selected + 1 })} fit="contain" />
      </AspectRatio>
      {images.length > 1 && (
        <SimpleGrid cols={{ base: 4, sm: 6 }} spacing="xs">
          {images.map((image, index) => (
            <UnstyledButton
              key={image.id}
              onClick={() => setSelected(index)}
              aria-label={t("catalogue.showImage", { index: index + 1 })}
              aria-pressed={index === selected}
              style={{ outline: index === selected ? "2px solid var(--mantine-primary-color-filled)" : undefined }}
            >
              <Image src={image.url} alt="" h={60} fit="cover" />
            </UnstyledButton>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function AttributesTable({ attributes }: { attributes: Record<string, unknown> }) {
  const { t } = useTranslation();
  const entries = Object.entries(attributes);
  if (!entries.length) return null;
  return (
    <Table striped withTableBorder captionSide="top">
      <Table.Caption>{t("catalogue.attributes")}</Table.Caption>
      <Table.Tbody>
        {entries.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th scope="row">{name.replace(/_/g, " ")}</Table.Th>
            <Table.Td>
              {typeof value === "boolean" ? (value ? t("yes") : t("no")) : typeof value === "string" || typeof value === "number" ? value : JSON.stringify(value)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ProductDetails({ product }: { product: Product }) {
  const { t } = useTranslation();
  const [quantity, setQuantity] = useState<number>(1);
  useDocumentTitle(product.name);
  const soldOut = product.stock !== null && product.stock <= 0;
  const add = () => {
    cart.add({ productId: product.id, sku: product.sku, name: product.name, unitPrice: product.price }, quantity);
    notifications.show({ message: t("cart.added", { name: product.name }), color: "green" });
  };
  return (
    <Grid gutter="xl">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Gallery product={product} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack>
          <Title order={2}>{product.name}</Title>
          <Text c="dimmed" size="sm">
            {t("catalogue.sku", { sku: product.sku })}
          </Text>
          <Group>
            <Text size="xl" fw={700}>
              <Money amount={product.price} currency={product.currency} />
            </Text>
            <StockBadge stock={product.stock} />
          </Group>
          {product.description && <Text style={{ whiteSpace: "pre-line" }}>{product.description}</Text>}
          <Group align="flex-end">
            <NumberInput
              label={t("cart.quantity")}
              value={quantity}
              min={1}
              max={product.stock ?? MAX_QUANTITY}
              allowDecimal={false}
              onChange={(value) => setQuantity(typeof value === "number" ? value : 1)}
              w={120}
            />
            <Button onClick={add} disabled={soldOut}>
              {t("cart.add")}
            </Button>
            <Button component={Link} to="/cart" variant="subtle">
              {t("cart.view")}
            </Button>
          </Group>
          <AttributesTable attributes={product.attributes} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export function ProductPage() {
  const { productId = "" } = useParams();
  const product = useProduct(productId);
  return <QueryState query={product} lines={6}>{(data) => <ProductDetails product={data} />}</QueryState>;
}
