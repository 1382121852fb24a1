/**
 * TEMPORARY: the endpoints of issue 11 that the OpenAPI document does not describe yet,
 * typed from the agreed contract. Each goes once `npm run generate` brings it into
 * `schema.d.ts`; nothing else may define a backend type by hand.
 */
import type { Schema } from "./types";

type Json<T> = { headers: Record<string, unknown>; content: { "application/json": T } };
type NoContent = { headers: Record<string, unknown>; content?: never };
type Params<Q = never, P = never, H = never> = {
  query?: Q;
  header?: H;
  cookie?: never;
} & ([P] extends [never] ? { path?: never } : { path: P });
type Op<Ok, P extends object = Params, Body = never> = {
  parameters: P;
  responses: Ok;
} & ([Body] extends [never]
  ? { requestBody?: never }
  : { requestBody: { content: { "application/json": Body } } });

export type AddressFields = Schema<"ShippingAddress"> & { label?: string | null; is_default?: boolean };
export type AddressRead = Required<Pick<AddressFields, "is_default">> &
  AddressFields & { id: string; version: number; created_at: string; updated_at: string };
export interface AddressPage {
  items: AddressRead[];
  next_cursor: string | null;
}

export interface QuoteItem {
  product_id: string;
  sku: string;
  name: string;
  quantity: number;
  unit_price: string;
  line_total: string;
  available: number | null;
  in_stock: boolean;
}
export interface QuoteRead {
  currency: string;
  items: QuoteItem[];
  total: string;
  problems: string[];
}
export type QuoteRequest = Omit<Schema<"OrderCreate">, "shipping_address"> & {
  shipping_address?: Schema<"ShippingAddress">;
};

export interface ProductImage {
  id: string;
  url: string;
  content_type: string;
  width: number;
  height: number;
}

export interface OrderEventData {
  order_id: string;
  number: string;
  status: string;
  previous_status?: string;
  version: number;
  occurred_at: string;
}

type AddressPath = Params<never, { address_id: string }>;

export interface PendingPaths {
  "/api/v1/me/addresses": {
    get: Op<{ 200: Json<AddressPage> }, Params<{ cursor?: string; limit?: number }>>;
    post: Op<{ 201: Json<AddressRead> }, Params, AddressFields>;
  };
  "/api/v1/me/addresses/{address_id}": {
    get: Op<{ 200: Json<AddressRead> }, AddressPath>;
    patch: Op<{ 200: Json<AddressRead> }, Params<never, { address_id: string }, { "If-Match"?: string }>, Partial<AddressFields>>;
    delete: Op<{ 204: NoContent }, AddressPath>;
  };
  "/api/v1/orders/quote": {
    post: Op<{ 200: Json<QuoteRead> }, Params, QuoteRequest>;
  };
}

/** A product as the contract describes it, images included. */
export type ProductWithImages = Schema<"ProductRead"> & { images?: ProductImage[] };
