import type { Schema } from "./types";

/** The shop's types, by the names the apps use for them, all from the generated schema. */
export type AddressFields = Schema<"SavedAddressCreate">;
export type AddressRead = Schema<"SavedAddressRead">;
export type QuoteRead = Schema<"Quote">;
export type QuoteItem = Schema<"QuoteItem">;
export type QuoteRequest = Schema<"QuoteRequest">;
export type ProductImage = Schema<"ProductImageRead">;
export type Product = Schema<"ProductRead">;
export type OrderEventData = Schema<"OrderEventMessage">;
