/** wadm API result shapes (wadm `crates/wadm-types/src/api.rs`); the subjects are in `lattice/subjects.ts`. */
export { wadmSubject } from '../subjects.ts';

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
