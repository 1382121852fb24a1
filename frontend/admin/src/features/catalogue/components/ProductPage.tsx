import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Modal, Stack, Text, Title } from "@mantine/core";
import { IdempotencyKeys, ProblemAlert, QueryState, isStaleEdit, useDocumentTitle } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { type Product, type ProductCreate, useArchiveProduct, useCategories, useCreateProduct, useProduct, useUpdateProduct } from "../api";
import { ProductForm, type SaveHandlers } from "./ProductForm";
import { ProductImages } from "./ProductImages";

function Trail({ current }: { current: string }) {
  const { t } = useTranslation();
  return (
    <Breadcrumbs>
      <Anchor component={Link} to="/products">
        {t("catalogue.products.title")}
      </Anchor>
      <Text>{current}</Text>
    </Breadcrumbs>
  );
}

function ArchiveButton({ product }: { product: Product }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const archive = useArchiveProduct(product.id);
  return (
    <>
      <Button variant="light" color="red" onClick={() => setAsking(true)}>
        {t("catalogue.product.archive")}
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={t("catalogue.product.archiveTitle", { name: product.name })}>
        <Stack>
          <Text>{t("catalogue.product.archiveText")}</Text>
          <ProblemAlert error={archive.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              {t("catalogue.cancel")}
            </Button>
            <Button color="red" loading={archive.isPending} onClick={() => archive.mutate(undefined, { onSuccess: () => setAsking(false) })}>
              {t("catalogue.product.archive")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function EditProduct({ product }: { product: Product }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const update = useUpdateProduct(product.id);
  const [saved, setSaved] = useState(false);
  const save = (changes: Partial<ProductCreate>, handlers: SaveHandlers) => {
    setSaved(false);
    update.mutate(
      { body: changes, version: product.version },
      {
        onSuccess: () => {
          setSaved(true);
          handlers.onSuccess();
        },
        onError: handlers.onError,
      },
    );
  };
  const restore = () => update.mutate({ body: { active: true }, version: product.version });
  return (
    <Stack>
      <Trail current={product.sku} />
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <Title order={2}>{product.name}</Title>
          {!product.active && (
            <Badge variant="default" size="lg">
              {t("catalogue.products.states.archived")}
            </Badge>
          )}
        </Group>
        {product.active ? (
          <ArchiveButton product={product} />
        ) : (
          <Button variant="light" onClick={restore} loading={update.isPending}>
            {t("catalogue.product.restore")}
          </Button>
        )}
      </Group>
      {isStaleEdit(update.error) && (
        <Alert color="yellow" role="alert" title={t("catalogue.staleTitle")}>
          {t("common:error.stale")}
        </Alert>
      )}
      {saved && !update.isPending && (
        <Alert color="green" role="status">
          {t("catalogue.product.saved")}
        </Alert>
      )}
      <QueryState query={categories}>
        {(list) => (
          // A new version (saved here or elsewhere) starts the form from what is stored.
          <ProductForm key={product.version} product={product} categories={list} saving={update.isPending} error={update.error} onUpdate={save} />
        )}
      </QueryState>
      <ProductImages product={product} />
    </Stack>
  );
}

export function ProductPage() {
  const { t } = useTranslation();
  const { productId = "" } = useParams();
  const product = useProduct(productId);
  useDocumentTitle(product.data?.name ?? t("catalogue.products.title"));
  return <QueryState query={product}>{(found) => <EditProduct product={found} />}</QueryState>;
}

export function NewProductPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("catalogue.products.new"));
  const categories = useCategories();
  const create = useCreateProduct();
  const navigate = useNavigate();
  const [keys] = useState(() => new IdempotencyKeys());
  return (
    <Stack>
      <Trail current={t("catalogue.products.new")} />
      <Title order={2}>{t("catalogue.products.new")}</Title>
      <QueryState query={categories} isEmpty={(list) => list.length === 0} empty={t("catalogue.product.noCategories")}>
        {(list) => (
          <ProductForm
            product={null}
            categories={list}
            saving={create.isPending}
            error={create.error}
            onCreate={(body, handlers) =>
              create.mutate(
                { body, key: keys.keyFor(JSON.stringify(body)) },
                {
                  onSuccess: (product) => {
                    keys.settle();
                    handlers.onSuccess();
                    void navigate(`/products/${product.id}`, { replace: true });
                  },
                  onError: handlers.onError,
                },
              )
            }
          />
        )}
      </QueryState>
    </Stack>
  );
}
