/** Wire shapes of hosts (snake_case, as wasmCloud 1.x `crates/control-interface/src/types/host.rs`). */

/** A running component as listed in an inventory. */
export interface ComponentDescription {
  id: string;
  image_ref: string;
  name?: string;
  annotations?: Record<string, string>;
  revision: number;
  max_instances: number;
  limits?: Record<string, string>;
  /** weft extensions (wasmCloud clients ignore them): sha256 hex of the component, its named configs (names only),
   * and the issuer and caps of its claims when signed. */
  digest?: string;
  /** weft extension: for an OCI ref, the manifest digest (`sha256:…`) the ref resolved to when it was pulled. */
  image_digest?: string;
  config?: string[];
  issuer?: string;
  caps?: string[];
}

/** A running provider as listed in an inventory. */
export interface ProviderDescription {
  id: string;
  image_ref?: string;
  name?: string;
  revision: number;
  annotations?: Record<string, string>;
}

/** The reply to `host.ping`. */
export interface HostInfo {
  id: string;
  friendly_name: string;
  labels: Record<string, string>;
  lattice: string;
  version: string;
  uptime_seconds: number;
  uptime_human: string;
  rpc_host?: string;
  ctl_host?: string;
  js_domain?: string;
}

/** The reply to `host.get.{host_id}` and the data of `host_heartbeat`. */
export interface HostInventory {
  components: ComponentDescription[];
  providers: ProviderDescription[];
  host_id: string;
  friendly_name: string;
  labels: Record<string, string>;
  version: string;
  uptime_human: string;
  uptime_seconds: number;
}

/** `label.put` body. */
export interface HostLabel {
  key: string;
  value: string;
}

/** `host.stop` body; `timeout` is in milliseconds as the 1.x host treats it. */
export interface StopHostCommand {
  host_id: string;
  timeout?: number;
}
