/** wasmCloud policy service protocol (`crates/host/src/policy.rs`), JSON camelCase as on the wire. */
export type PolicyKind = 'startComponent' | 'startProvider' | 'performInvocation';

export interface PolicyClaims {
  publicKey: string;
  issuer: string;
  issuedAt: string;
  expiresAt?: string;
  expired: boolean;
}

export interface PolicyComponentInfo {
  componentId: string;
  imageRef: string;
  maxInstances: number;
  annotations: Record<string, string>;
  claims?: PolicyClaims;
}

export interface PolicyProviderInfo {
  providerId: string;
  imageRef: string;
  annotations: Record<string, string>;
  claims?: PolicyClaims;
}

export interface PolicyInvocationInfo {
  interface: string;
  function: string;
  target: PolicyComponentInfo;
}

export interface PolicyHostInfo {
  publicKey: string;
  lattice: string;
  labels: Record<string, string>;
}

/** The request sent on the policy topic. */
export interface PolicyRequest {
  requestId: string;
  kind: PolicyKind;
  version: 'v1';
  request: PolicyComponentInfo | PolicyProviderInfo | PolicyInvocationInfo;
  host: PolicyHostInfo;
}

/** The reply (and the shape of change notifications on the changes topic). */
export interface PolicyResponse {
  requestId: string;
  permitted: boolean;
  message?: string;
}
