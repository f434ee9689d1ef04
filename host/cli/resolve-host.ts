import type { CtlClient, HostInfo } from '../../lattice/index.ts';
import { CliError, CliErrorCode } from './errors.ts';

/**
 * Resolves a host given as its id, an id prefix or its friendly name (as wash does).
 * @throws {CliError} CLI_USAGE when none or several hosts match.
 */
export async function resolveHost(ctl: CtlClient, ref: string): Promise<HostInfo> {
  const hosts = await ctl.getHosts();
  const exact = hosts.find((h) => h.id === ref || h.friendly_name === ref);
  if (exact) return exact;
  const matches = hosts.filter((h) => h.id.startsWith(ref));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new CliError(CliErrorCode.Usage, `"${ref}" matches ${matches.length} hosts`, 'give more of the host id');
  }
  throw new CliError(
    CliErrorCode.Usage,
    `no host "${ref}" on lattice ${ctl.lattice}`,
    hosts.length ? 'list hosts with `weft get hosts`' : 'no host answered: start one with `weft up`',
  );
}

/** Picks the only host when there is exactly one, for commands where the host is optional. */
export async function soleHost(ctl: CtlClient): Promise<HostInfo> {
  const hosts = await ctl.getHosts();
  if (hosts.length === 1 && hosts[0]) return hosts[0];
  throw new CliError(
    CliErrorCode.Usage,
    hosts.length === 0 ? `no host is running on lattice ${ctl.lattice}` : `${hosts.length} hosts are running`,
    hosts.length === 0 ? 'start one with `weft up`' : 'name the host (see `weft get hosts`)',
  );
}
