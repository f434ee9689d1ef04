import type { Link } from '../../lattice/index.ts';

/**
 * What the host hands an external provider process, as one line of base64(JSON) on stdin (wasmCloud's HostData,
 * the subset weft uses). Credentials here are the provider's own NATS user, never logged.
 */
export interface HostData {
  host_id: string;
  lattice_rpc_prefix: string;
  lattice_rpc_url: string;
  lattice_rpc_user_seed?: string;
  lattice_rpc_user_jwt?: string;
  provider_key: string;
  link_name: string;
  config: Record<string, string>;
  link_definitions: Link[];
  default_rpc_timeout_ms: number;
  log_level: string;
}

/** Encodes HostData for the child's stdin. */
export function encodeHostData(d: HostData): string {
  return Buffer.from(JSON.stringify(d)).toString('base64') + '\r\n';
}

/** Decodes HostData from the first line of stdin. */
export function decodeHostData(line: string): HostData {
  return JSON.parse(Buffer.from(line.trim(), 'base64').toString('utf8')) as HostData;
}
