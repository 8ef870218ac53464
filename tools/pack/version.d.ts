export interface WorkspacePackage {
  readonly dir: string;
  readonly path: string;
  readonly manifest: Record<string, unknown> & { name: string; version: string };
}
export function readPackages(root?: string): WorkspacePackage[];
export function checkVersions(root?: string): string[];
export function writeVersions(version?: string, root?: string): void;
