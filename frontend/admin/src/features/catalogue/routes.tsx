import type { RouteObject } from "react-router";

// This section's pages, each its own chunk (`lazy`), paths relative to the section's (`index: true` first).
export const catalogueRoutes: { products: RouteObject[]; categories: RouteObject[] } = {
  products: [
    { index: true, lazy: async () => ({ Component: (await import("./components/ProductsPage")).ProductsPage }) },
    { path: "new", lazy: async () => ({ Component: (await import("./components/ProductPage")).NewProductPage }) },
    { path: "import", lazy: async () => ({ Component: (await import("./components/ImportPage")).ImportPage }) },
    { path: ":productId", lazy: async () => ({ Component: (await import("./components/ProductPage")).ProductPage }) },
  ],
  categories: [
    { index: true, lazy: async () => ({ Component: (await import("./components/CategoriesPage")).CategoriesPage }) },
    { path: "new", lazy: async () => ({ Component: (await import("./components/CategoryPage")).NewCategoryPage }) },
    { path: ":categoryId", lazy: async () => ({ Component: (await import("./components/CategoryPage")).CategoryPage }) },
  ],
};
