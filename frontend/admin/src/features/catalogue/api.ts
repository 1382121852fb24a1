import { type ApiClient, type Schema, bodyOf, ifMatch, isStaleEdit, type paths, useApi } from "@oms/shared";
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ProductFilter } from "./filters";

export type Product = Schema<"ProductRead">;
export type ProductCreate = Schema<"ProductCreate">;
export type ProductUpdate = Schema<"ProductUpdate">;
export type ProductImage = Schema<"ProductImageRead">;
export type Category = Schema<"CategoryRead">;
export type CategoryCreate = Schema<"CategoryCreate">;
export type CategoryUpdate = Schema<"CategoryUpdate">;
export type SchemaCheck = Schema<"SchemaCheckRead">;
export type ImportResult = Schema<"ProductImportRead">;
export type ImportRow = Schema<"ImportRowRead">;
export type ImageType = keyof paths["/api/v1/products/{product_id}/images"]["post"]["requestBody"]["content"];

type ProductListQuery = NonNullable<paths["/api/v1/products"]["get"]["parameters"]["query"]>;

export const PAGE_SIZE = 25;
/** The API lists at most 100 a page; a shop has few categories, so one page is all of them. */
const CATEGORY_PAGE = 100;

// Categories

export function categoriesQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["categories"],
    queryFn: async () => (await bodyOf(api.GET("/api/v1/categories", { params: { query: { limit: CATEGORY_PAGE } } }))).items,
  });
}

export function useCategories() {
  return useQuery(categoriesQuery(useApi()));
}

export function categoryQuery(api: ApiClient, categoryId: string) {
  return queryOptions({
    queryKey: ["categories", "one", categoryId],
    queryFn: () => bodyOf(api.GET("/api/v1/categories/{category_id}", { params: { path: { category_id: categoryId } } })),
  });
}

export function useCategory(categoryId: string) {
  return useQuery(categoryQuery(useApi(), categoryId));
}

export function useCreateCategory() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: CategoryCreate; key: string }) =>
      bodyOf(api.POST("/api/v1/categories", { body, params: { header: { "Idempotency-Key": key } } })),
    onSuccess: (category) => {
      queryClient.setQueryData(categoryQuery(api, category.id).queryKey, category);
      void queryClient.invalidateQueries({ queryKey: ["categories"], exact: true });
    },
  });
}

/** Saves a category as of `version`: a 412 means someone else saved it since, and the
 * current one is fetched to be shown. */
export function useUpdateCategory(categoryId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const one = categoryQuery(api, categoryId).queryKey;
  return useMutation({
    mutationFn: ({ body, version }: { body: CategoryUpdate; version: number }) =>
      bodyOf(api.PATCH("/api/v1/categories/{category_id}", { params: { path: { category_id: categoryId }, header: ifMatch(version) }, body })),
    onSuccess: (category) => {
      queryClient.setQueryData(one, category);
      void queryClient.invalidateQueries({ queryKey: ["categories"], exact: true });
    },
    onError: (error) => {
      if (isStaleEdit(error)) void queryClient.invalidateQueries({ queryKey: one });
    },
  });
}

export function useDeleteCategory() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (categoryId: string) => bodyOf(api.DELETE("/api/v1/categories/{category_id}", { params: { path: { category_id: categoryId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["categories"] }),
  });
}

/** What saving `attribute_schema` would meet (the schema's own problems, the products it
 * would refuse); nothing is changed. */
export function useSchemaCheck(categoryId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: (attributeSchema: Record<string, unknown>) =>
      bodyOf(
        api.POST("/api/v1/categories/{category_id}/schema-check", {
          params: { path: { category_id: categoryId } },
          body: { attribute_schema: attributeSchema },
        }),
      ),
  });
}

// Products

export function productsQuery(api: ApiClient, filter: ProductFilter) {
  return infiniteQueryOptions({
    queryKey: ["products", "list", filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const query: ProductListQuery = { limit: PAGE_SIZE };
      if (filter.q) query.q = filter.q;
      if (filter.category) query.category = filter.category;
      if (filter.state !== "all") query.active = filter.state === "active";
      if (pageParam) query.cursor = pageParam;
      return bodyOf(api.GET("/api/v1/products", { params: { query } }));
    },
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useProducts(filter: ProductFilter) {
  return useInfiniteQuery(productsQuery(useApi(), filter));
}

export function productQuery(api: ApiClient, productId: string) {
  return queryOptions({
    queryKey: ["products", "one", productId],
    queryFn: () => bodyOf(api.GET("/api/v1/products/{product_id}", { params: { path: { product_id: productId } } })),
  });
}

export function useProduct(productId: string) {
  return useQuery(productQuery(useApi(), productId));
}

/** After a product changed: the answer is the product as it is now; lists show it anew. */
function useProductSaved() {
  const api = useApi();
  const queryClient = useQueryClient();
  return (product: Product) => {
    queryClient.setQueryData(productQuery(api, product.id).queryKey, product);
    void queryClient.invalidateQueries({ queryKey: ["products", "list"] });
  };
}

export function useCreateProduct() {
  const api = useApi();
  const saved = useProductSaved();
  return useMutation({
    mutationFn: ({ body, key }: { body: ProductCreate; key: string }) =>
      bodyOf(api.POST("/api/v1/products", { body, params: { header: { "Idempotency-Key": key } } })),
    onSuccess: saved,
  });
}

export function useUpdateProduct(productId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const saved = useProductSaved();
  return useMutation({
    mutationFn: ({ body, version }: { body: ProductUpdate; version: number }) =>
      bodyOf(api.PATCH("/api/v1/products/{product_id}", { params: { path: { product_id: productId }, header: ifMatch(version) }, body })),
    onSuccess: saved,
    onError: (error) => {
      if (isStaleEdit(error)) void queryClient.invalidateQueries({ queryKey: productQuery(api, productId).queryKey });
    },
  });
}

/** Archives the product (the API's DELETE keeps it for the orders naming it). */
export function useArchiveProduct(productId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => bodyOf(api.DELETE("/api/v1/products/{product_id}", { params: { path: { product_id: productId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["products"] }),
  });
}

export function useAddImage(productId: string) {
  const api = useApi();
  const saved = useProductSaved();
  return useMutation({
    mutationFn: (file: File) =>
      bodyOf(
        api.POST("/api/v1/products/{product_id}/images", {
          params: { path: { product_id: productId } },
          // The bytes as they are, typed by the file's own type (the API checks both).
          body: "",
          bodySerializer: () => file,
          headers: { "Content-Type": file.type || "application/octet-stream" },
        }),
      ),
    onSuccess: saved,
  });
}

export function useRemoveImage(productId: string) {
  const api = useApi();
  const saved = useProductSaved();
  return useMutation({
    mutationFn: (imageId: string) =>
      bodyOf(api.DELETE("/api/v1/products/{product_id}/images/{image_id}", { params: { path: { product_id: productId, image_id: imageId } } })),
    onSuccess: saved,
  });
}

// CSV import

/** Sends one chunk of a CSV file (its header and some rows) to the import. */
export function importChunk(api: ApiClient, text: string, firstRow: number, dryRun: boolean): Promise<ImportResult> {
  return bodyOf(
    api.POST("/api/v1/products/import", {
      params: { query: { first_row: firstRow, dry_run: dryRun } },
      body: text,
      bodySerializer: (body: string) => body,
      headers: { "Content-Type": "text/csv; charset=utf-8" },
    }),
  );
}
