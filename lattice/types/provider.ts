/** `provider.start.{host_id}` (wasmCloud StartProviderCommand). */
export interface StartProviderCommand {
  provider_id: string;
  provider_ref: string;
  host_id: string;
  config: string[];
  annotations?: Record<string, string>;
}

/** `provider.stop.{host_id}`. */
export interface StopProviderCommand {
  host_id: string;
  provider_id: string;
}

/** `provider.auction` request. */
export interface ProviderAuctionRequest {
  provider_ref: string;
  provider_id: string;
  constraints: Record<string, string>;
}
