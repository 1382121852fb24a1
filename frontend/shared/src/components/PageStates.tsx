import { Alert, Button, Skeleton, Stack, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { problemMessage } from "./problemMessage";

export function LoadingState({ lines = 3 }: { lines?: number }) {
  const { t } = useTranslation("common");
  return (
    <Stack gap="sm" aria-busy="true" aria-label={t("loading")} role="status">
      {Array.from({ length: lines }, (_, index) => (
        <Skeleton key={index} height={index === 0 ? 28 : 18} width={index === 0 ? "40%" : "100%"} />
      ))}
    </Stack>
  );
}

export function EmptyState({ children }: { children?: ReactNode }) {
  const { t } = useTranslation("common");
  return (
    <Text c="dimmed" py="lg" ta="center">
      {children ?? t("empty")}
    </Text>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation("common");
  return (
    <Alert color="red" title={t("error.title")} role="alert">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{problemMessage(error, t)}</Text>
        {onRetry && (
          <Button variant="light" color="red" size="xs" onClick={onRetry}>
            {t("retry")}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** Loading, error (with retry) and empty states of one query; `children` gets the data. */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  lines,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  lines?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingState lines={lines} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <EmptyState>{empty}</EmptyState>;
  return <>{children(query.data)}</>;
}
