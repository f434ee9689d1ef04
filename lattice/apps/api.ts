/** wadm API subjects and result shapes (wadm `crates/wadm-types/src/api.rs`, `wadm-client/src/topics.rs`). */
export const wadmSubject = {
  api: (lattice: string, op: string, name?: string): string =>
    `wadm.api.${lattice}.model.${op}${name ? `.${name}` : ''}`,
  all: (lattice: string): string => `wadm.api.${lattice}.model.>`,
  status: (lattice: string, app: string): string => `wadm.status.${lattice}.${app}`,
} as const;

/** StatusType of an application. */
export type AppStatusType = 'waiting' | 'undeployed' | 'reconciling' | 'deployed' | 'failed' | 'unhealthy';

/** One stored version of a manifest. */
export interface StoredVersion {
  version: string;
  manifest: unknown;
  created_at: string;
}

/** What the manifest store keeps per application. */
export interface StoredApp {
  name: string;
  versions: StoredVersion[];
  deployed_version?: string;
  status: { type: AppStatusType; message: string };
}

/** Summary row of `model.list`. */
export interface AppSummary {
  name: string;
  version: string;
  description: string;
  deployed_version?: string;
  status: AppStatusType;
  status_message: string;
}
