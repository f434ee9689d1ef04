/** Wire shapes of component commands (wasmCloud 1.x `types/component.rs`). */

/** `component.scale.{host_id}`; `count` is max concurrent instances, 0 stops. */
export interface ScaleComponentCommand {
  component_ref: string;
  component_id: string;
  annotations?: Record<string, string>;
  count: number;
  component_limits?: Record<string, string>;
  host_id: string;
  config?: string[];
  allow_update?: boolean;
}

/** `component.update.{host_id}`. */
export interface UpdateComponentCommand {
  component_id: string;
  annotations?: Record<string, string>;
  host_id: string;
  new_component_ref: string;
}

/** `component.auction` request; hosts qualify when every constraint matches one of their labels. */
export interface ComponentAuctionRequest {
  component_ref: string;
  component_id: string;
  constraints: Record<string, string>;
}

/** `component.auction` reply from a qualifying host. */
export interface ComponentAuctionAck {
  component_ref: string;
  component_id: string;
  host_id: string;
}
