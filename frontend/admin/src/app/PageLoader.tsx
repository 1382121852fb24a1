import { LoadingState } from "@oms/shared";

export function PageLoader() {
  return <LoadingState lines={4} />;
}
