// Hot reload: watches rule folders and files and calls back once per burst of changes (editors
// write a file in several steps), so a save triggers one reload.
import type { FSWatcher } from "node:fs";
import { watch } from "node:fs";

export interface RuleWatcher {
  close(): void;
}

export function watchRules(paths: readonly string[], onChange: () => void, debounceMs = 250): RuleWatcher {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watchers: FSWatcher[] = paths.map((path) => watch(path, { recursive: true }, fire));
  for (const watcher of watchers) watcher.on("error", () => undefined);
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
