import type { Product, ProductCreate } from "./api";

/** The product form's values, as typed: the price a decimal string, the stock a whole
 * number as text ("" = not tracked). */
export interface ProductFields {
  sku: string;
  name: string;
  description: string;
  price: string;
  stock: string;
  category_id: string;
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// As the API takes a price: a decimal with at most two places, never a float.
const PRICE = /^[0-9]{1,10}(\.[0-9]{1,2})?$/;
const STOCK = /^[0-9]{1,10}$/;
const MAX_STOCK = 2_147_483_647;

export function fieldsOf(product: Product | null): ProductFields {
  return {
    sku: product?.sku ?? "",
    name: product?.name ?? "",
    description: product?.description ?? "",
    price: product?.price ?? "",
    stock: product?.stock === null || product?.stock === undefined ? "" : String(product.stock),
    category_id: product?.category_id ?? "",
  };
}

/** What is wrong with a value, as the key of a message (null: nothing). */
export function validateSku(value: string): string | null {
  if (!value.trim()) return "required";
  return SKU.test(value.trim()) ? null : "sku";
}

export function validatePrice(value: string): string | null {
  if (!value.trim()) return "required";
  return PRICE.test(value.trim()) ? null : "price";
}

export function validateStock(value: string): string | null {
  if (!value.trim()) return null;
  return STOCK.test(value.trim()) && Number(value) <= MAX_STOCK ? null : "stock";
}

function stockOf(value: string): number | null {
  return value.trim() ? Number(value.trim()) : null;
}

export function toProductCreate(values: ProductFields, attributes: Record<string, unknown>): ProductCreate {
  return {
    sku: values.sku.trim(),
    name: values.name.trim(),
    description: values.description,
    price: values.price.trim(),
    stock: stockOf(values.stock),
    category_id: values.category_id,
    active: true,
    attributes,
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Only what the user changed, so that an edit touches nothing else (and the audit log
 * shows just that). A price is compared as a number: "12.5" is the stored "12.50". */
export function changedFields(product: Product, values: ProductFields, attributes: Record<string, unknown>): Partial<ProductCreate> {
  const wanted = toProductCreate(values, attributes);
  const changes: Partial<ProductCreate> = {};
  if (wanted.sku !== product.sku) changes.sku = wanted.sku;
  if (wanted.name !== product.name) changes.name = wanted.name;
  if (wanted.description !== product.description) changes.description = wanted.description;
  if (Number(wanted.price) !== Number(product.price) || !PRICE.test(wanted.price)) changes.price = wanted.price;
  if (wanted.stock !== product.stock) changes.stock = wanted.stock ?? null;
  if (wanted.category_id !== product.category_id) changes.category_id = wanted.category_id;
  if (!sameJson(wanted.attributes, product.attributes)) changes.attributes = wanted.attributes;
  return changes;
}
