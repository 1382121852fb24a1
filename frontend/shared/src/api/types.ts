import type { components } from "./schema";

/** The backend's schemas, by name: `Schema<"OrderRead">`. Never redefine one by hand. */
export type Schemas = components["schemas"];
export type Schema<Name extends keyof Schemas> = Schemas[Name];

export type ClientConfig = Schema<"ClientConfig">;
export type SessionToken = Schema<"SessionTokenRead">;
