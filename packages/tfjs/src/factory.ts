/**
 * Building flood optimizers: from a factory's options (`sam(base, { rho })`),
 * and from a saved config, under every class name a flood optimizer has
 * saved as (`'Flooding'`, `'SAM'`, …: one class registered under each).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { CLASS_NAMES, type Config, fromFactoryOptions, specFromConfig } from './spec-config.js';
import { FloodOptimizer } from './wrapper.js';
import { wrapperOptionsFromConfig } from './wrapper-options.js';

/**
 * The optimizer a factory builds: `method` (`'flooding'` or a core method's
 * name) over `base`, with the factory's options (validated; unknown names and
 * bad values throw a RangeError naming them).
 */
export function makeOptimizer(
  method: string,
  base: tf.Optimizer,
  options: object | undefined,
): FloodOptimizer {
  const { spec, shared, perturb } = fromFactoryOptions(method, options);
  return new FloodOptimizer(base, spec, { ...shared, ...(perturb ? { perturb } : {}) });
}

/** Rebuilds the base optimizer from `config.base` (any registered class). */
export function baseFromConfig(config: Config): tf.Optimizer {
  const base = config.base as { className?: unknown; config?: unknown } | undefined;
  const className = base?.className;
  if (typeof className !== 'string') {
    throw new RangeError('optimizer config must have base.className');
  }
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) {
    throw new Error(`unknown base optimizer class ${className}: register it before loading`);
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, (base?.config ?? {}) as Config) as tf.Optimizer;
}

/** The shared options from a config (null entries, as a round trip writes them, are dropped). */
export const optionsFromConfig = wrapperOptionsFromConfig;

/** Rebuilds one layer from the config a `className` layer wrote (every saved model's format). */
function layerFromConfig(className: string, config: Config): FloodOptimizer {
  const { spec, perturb } = specFromConfig(className, config);
  const options = { ...wrapperOptionsFromConfig(config), ...(perturb ? { perturb } : {}) };
  return new FloodOptimizer(baseFromConfig(config), spec, options);
}

// One class under every class name a flood optimizer saves (and has saved) as.
for (const name of CLASS_NAMES) {
  tf.serialization.SerializationMap.getMap().classNameMap[name] = [
    FloodOptimizer,
    (_cls: unknown, config: Config) => layerFromConfig(name, config),
  ] as never;
}
