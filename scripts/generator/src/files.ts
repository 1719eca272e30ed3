/** Comparing planned files with what is on disk, and writing those that differ. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";

export interface PlannedFile {
  /** Absolute path. */
  target: string;
  content: string;
}

export interface FileChange extends PlannedFile {
  /** Relative to the workspace root. */
  path: string;
  /** The file does not exist yet. */
  created: boolean;
}

function current(target: string): string | undefined {
  try {
    return readFileSync(target, "utf8");
  } catch {
    return undefined;
  }
}

/** The planned files whose content differs from the file on disk (or that do not exist). */
export function changesOf(root: string, files: PlannedFile[]): FileChange[] {
  return files.flatMap((file) => {
    const existing = current(file.target);
    return existing === file.content ? [] : [{ ...file, path: relative(root, file.target), created: existing === undefined }];
  });
}

export function writeChanges(changes: FileChange[]): void {
  for (const change of changes) {
    mkdirSync(dirname(change.target), { recursive: true });
    writeFileSync(change.target, change.content);
  }
}
