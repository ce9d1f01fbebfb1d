// A profile's `plugins` over the default plugins, as upstream's mergePlugins: at each extension
// point, defaults stay in their order unless disabled (`*` disables them all); a default named
// again in `enabled` is replaced in place (new weight, same position); other enabled plugins
// are appended in the order given.
import { PLUGIN_SET_NAMES, type PluginRef, type Plugins, type PluginSet } from './types.js';

export function mergePluginSet(defaults: PluginSet, custom: PluginSet): PluginSet {
  const disabledRefs: PluginRef[] = [...(custom.disabled ?? []), ...(defaults.disabled ?? [])].map((p) => ({ name: p.name }));
  const disabled = new Set(disabledRefs.map((p) => p.name));
  const customEnabled = custom.enabled ?? [];
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabled.has('*')) {
    for (const ref of defaults.enabled ?? []) {
      if (disabled.has(ref.name)) continue;
      const index = customEnabled.findLastIndex((c) => c.name === ref.name);
      if (index >= 0) {
        replaced.add(index);
        enabled.push({ ...customEnabled[index]! });
      } else {
        enabled.push({ ...ref });
      }
    }
  }
  // Duplicates are kept: building the framework reports them.
  for (const [i, ref] of customEnabled.entries()) if (!replaced.has(i)) enabled.push({ ...ref });
  const out: PluginSet = {};
  if (enabled.length > 0) out.enabled = enabled;
  if (disabledRefs.length > 0) out.disabled = disabledRefs;
  return out;
}

export function mergePlugins(defaults: Plugins, custom: Plugins | undefined): Plugins {
  if (!custom) return structuredClone(defaults);
  const out: Plugins = {};
  for (const name of PLUGIN_SET_NAMES) {
    const merged = mergePluginSet(defaults[name] ?? {}, custom[name] ?? {});
    if (merged.enabled || merged.disabled) out[name] = merged;
  }
  return out;
}
