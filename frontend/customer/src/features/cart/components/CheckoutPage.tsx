import { Alert, Button, Card, Checkbox, Grid, Group, List, Radio, Stack, Text, Textarea, Title } from "@mantine/core";
import { IdempotencyKeys, ProblemAlert, isProblem, useDocumentTitle } from "@oms/shared";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate } from "react-router";
import {
  AddressFields,
  EMPTY_ADDRESS,
  type ShippingAddress,
  addressErrors,
  toShippingAddress,
  useAddressForm,
} from "../../../lib/AddressForm";
import { type AddressRead, useAddresses, useCreateAddress } from "../../../lib/addresses";
import { useCountryName } from "../../../lib/useCountryName";
import { cart, useCart } from "../../../lib/cart";
import { type OrderCreate, cartItems, shortLines, usePlaceOrder } from "../api";
import { QuoteSummary } from "./QuoteSummary";

const NEW_ADDRESS = "new";

function shippingOf(address: AddressRead): ShippingAddress {
  const { name, line1, line2, city, postal_code, country, phone } = address;
  return { name, line1, line2, city, postal_code, country, phone };
}

function AddressLabel({ address }: { address: AddressRead }) {
  const country = useCountryName();
  return (
    <Stack gap={0}>
      <Text size="sm" fw={600}>
        {address.label || address.name}
      </Text>
      <Text size="xs" c="dimmed">
        {[address.name, address.line1, address.line2, `${address.postal_code} ${address.city}`, country(address.country)].filter(Boolean).join(", ")}
      </Text>
    </Stack>
  );
}

export function CheckoutPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("checkout.title"));
  const lines = useCart();
  const navigate = useNavigate();
  const addresses = useAddresses();
  const createAddress = useCreateAddress();
  const placeOrder = usePlaceOrder();
  const [keys] = useState(() => new IdempotencyKeys());
  const submitting = useRef(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [saveAddress, setSaveAddress] = useState(true);
  const form = useAddressForm(EMPTY_ADDRESS);

  const saved = addresses.data ?? [];
  const preferred = saved.find((address) => address.is_default) ?? saved[0];
  const choice = chosen ?? preferred?.id ?? NEW_ADDRESS;
  const savedChoice = saved.find((address) => address.id === choice);

  if (lines.length === 0 && !placeOrder.isSuccess) return <Navigate to="/cart" replace />;

  const submit = () => {
    if (submitting.current) return;
    let shipping: ShippingAddress;
    if (savedChoice) {
      shipping = shippingOf(savedChoice);
    } else {
      if (form.validate().hasErrors) return;
      shipping = toShippingAddress(form.getValues());
    }
    const body: OrderCreate = { items: cartItems(lines), shipping_address: shipping };
    if (note.trim()) body.note = note.trim();
    // Retries of this very order reuse the key; a changed cart or address is a new order.
    const key = keys.keyFor(JSON.stringify(body));
    submitting.current = true;
    placeOrder.mutate(
      { body, key },
      {
        onSuccess: (order) => {
          keys.settle();
          cart.clear();
          if (!savedChoice && saveAddress && saved.length < 20) {
            createAddress.mutate({ ...shipping, is_default: saved.length === 0 });
          }
          void navigate(`/orders/${order.id}`, { replace: true });
        },
        onError: (error) => {
          if (isProblem(error)) form.setErrors(addressErrors(error.fieldErrors, "shipping_address."));
        },
        onSettled: () => {
          submitting.current = false;
        },
      },
    );
  };

  const error = placeOrder.error;
  const short = isProblem(error) && error.slug === "insufficient-stock" ? shortLines(error.problem) : [];
  const nameOf = (productId: string) => lines.find((line) => line.productId === productId)?.name ?? productId;

  return (
    <Stack>
      <Title order={2}>{t("checkout.title")}</Title>
      <Grid gutter="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Text fw={700} component="h3" m={0}>
              {t("checkout.shipTo")}
            </Text>
            {saved.length > 0 && (
              <Radio.Group value={choice} onChange={setChosen} label={t("checkout.chooseAddress")}>
                <Stack gap="xs" mt="xs">
                  {saved.map((address) => (
                    <Card key={address.id} withBorder padding="xs">
                      <Radio value={address.id} label={<AddressLabel address={address} />} />
                    </Card>
                  ))}
                  <Card withBorder padding="xs">
                    <Radio value={NEW_ADDRESS} label={t("checkout.newAddress")} />
                  </Card>
                </Stack>
              </Radio.Group>
            )}
            {choice === NEW_ADDRESS && (
              <Card withBorder>
                <Stack>
                  <AddressFields form={form} />
                  <Checkbox
                    label={t("checkout.saveAddress")}
                    checked={saveAddress}
                    onChange={(event) => setSaveAddress(event.currentTarget.checked)}
                  />
                </Stack>
              </Card>
            )}
            <Textarea label={t("checkout.note")} value={note} onChange={(event) => setNote(event.currentTarget.value)} maxLength={2000} autosize minRows={2} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <QuoteSummary lines={lines} />
            {short.length > 0 ? (
              <Alert color="red" title={t("checkout.outOfStockTitle")} role="alert">
                <Stack gap="xs">
                  <Text size="sm">{t("checkout.outOfStockText")}</Text>
                  <List size="sm">
                    {short.map((line) => (
                      <List.Item key={line.product_id}>
                        <Group gap="xs">
                          <span>
                            {t("checkout.shortLine", { name: nameOf(line.product_id), requested: line.requested, available: line.available })}
                          </span>
                          <Button
                            size="compact-xs"
                            variant="light"
                            onClick={() => {
                              if (line.available > 0) cart.setQuantity(line.product_id, line.available);
                              else cart.remove(line.product_id);
                              placeOrder.reset();
                            }}
                          >
                            {line.available > 0 ? t("checkout.takeAvailable", { count: line.available }) : t("checkout.removeLine")}
                          </Button>
                        </Group>
                      </List.Item>
                    ))}
                  </List>
                </Stack>
              </Alert>
            ) : (
              <ProblemAlert error={error} title={t("checkout.failed")} />
            )}
            <Button size="lg" onClick={submit} loading={placeOrder.isPending} disabled={placeOrder.isPending}>
              {t("checkout.placeOrder")}
            </Button>
            <Button component={Link} to="/cart" variant="subtle">
              {t("checkout.backToCart")}
            </Button>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
