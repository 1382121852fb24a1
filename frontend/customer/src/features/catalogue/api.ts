import { type ApiClient, bodyOf, type paths, type Product, useApi } from "@oms/shared";
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";

type ProductListQuery = NonNullable<paths["/api/v1/products"]["get"]["parameters"]["query"]>;

export function categoriesQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["categories"],
    queryFn: async () => (await bodyOf(api.GET("/api/v1/categories", { params: { query: { limit: 100 } } }))).items,
    staleTime: 5 * 60_000,
  });
}

export function useCategories() {
  return useQuery(categoriesQuery(useApi()));
}

export interface ProductSearch {
  category?: string | undefined;
  q?: string | undefined;
  /** The `attributes` filter: exact values, lists of values or `{min, max}` by name. */
  attributes?: Record<string, unknown> | undefined;
}

const PAGE_SIZE = 24;

export function productsQuery(api: ApiClient, search: ProductSearch) {
  return infiniteQueryOptions({
    queryKey: ["products", search],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const query: ProductListQuery & { attributes?: string } = { limit: PAGE_SIZE };
      if (search.category) query.category = search.category;
      if (search.q) query.q = search.q;
      if (pageParam) query.cursor = pageParam;
      if (search.attributes && search.category) query.attributes = JSON.stringify(search.attributes);
      return bodyOf(api.GET("/api/v1/products", { params: { query } }));
    },
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useProducts(search: ProductSearch) {
  return useInfiniteQuery(productsQuery(useApi(), search));
}

export function productQuery(api: ApiClient, productId: string) {
  return queryOptions({
    queryKey: ["products", "one", productId],
    queryFn: async (): Promise<Product> =>
      bodyOf(api.GET("/api/v1/products/{product_id}", { params: { path: { product_id: productId } } })),
  });
}

export function useProduct(productId: string) {
  return useQuery(productQuery(useApi(), productId));
}
