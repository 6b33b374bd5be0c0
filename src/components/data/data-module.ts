import { persist, stateful } from '../../state/index.js';
import type { DataLoader } from './data-loader.js';
import type { DataLoaderBase } from './data-loader-base.js';
import { DataModuleState } from './data-module.state.generated.js';
import { DataConfigError } from './errors.js';

/** What a datamodule is set up for, as Lightning's `stage`. */
export type Stage = 'fit' | 'validate' | 'test' | 'predict';
/** The loaders a datamodule makes. */
export type LoaderKind = 'train' | 'val' | 'test' | 'predict';
/** A DataLoader of any sample and batch type. */
export type AnyDataLoader = DataLoader<unknown, unknown>;
/** What a loader factory returns: one loader, named by its kind, or several by name (`val.clean`, `val.noisy`). */
export type LoaderSet = AnyDataLoader | { readonly [name: string]: AnyDataLoader };

/** Plain-data hyperparameters. */
export type HParamValue = string | number | boolean | null | readonly HParamValue[] | { readonly [key: string]: HParamValue };
export type HParams = { readonly [key: string]: HParamValue };

const KINDS: readonly LoaderKind[] = ['train', 'val', 'test', 'predict'];

/**
 * The data half of a training run, as Lightning's `LightningDataModule`: `prepareData()` (download, once),
 * `setup(stage)`, the loader factories `trainDataloader()`, `valDataloader()`, `testDataloader()`,
 * `predictDataloader()`, `teardown(stage)`, and `hparams` (plain data the trainer saves with checkpoints).
 *
 * Its state is `stateDict()`/`loadStateDict()`, generated from its `@persist` fields, and nothing else: no checkpoint
 * hooks (Lightning removed them from datamodules in 1.8). Subclasses add fields (`@persist() stage = 0`) and
 * `@stateful(XState)`; their state is `DataModuleState & { … }`.
 *
 * The loaders' positions are part of that state: `createDataloaders(kind)` calls the factory and registers what it
 * returns by name (`train`; `val`, or `val.<key>` for a record), replacing that kind's earlier loaders, and the state's
 * `dataloaders` holds each registered loader's state under its name. A load restores into the registered loaders, so
 * the loaders must be created before the state is loaded: a state for a name that is not registered is an error
 * (a load cannot create a loader), and a registered loader missing from the state is a missing key.
 */
@stateful(DataModuleState)
export class DataModule {
  hparams: HParams = {};
  @persist({ name: 'dataloaders' }) private readonly registered: Record<string, DataLoaderBase> = {};

  /** Downloads or prepares data on disk; called once, before `setup`. */
  prepareData(): void | Promise<void> {}

  /** Builds datasets for `stage`. */
  setup(_stage: Stage): void | Promise<void> {}

  /** Releases what `setup` made. */
  teardown(_stage: Stage): void | Promise<void> {}

  trainDataloader(): LoaderSet | undefined {
    return undefined;
  }

  valDataloader(): LoaderSet | undefined {
    return undefined;
  }

  testDataloader(): LoaderSet | undefined {
    return undefined;
  }

  predictDataloader(): LoaderSet | undefined {
    return undefined;
  }

  /**
   * Calls the factory of `kind` and registers its loaders by name, replacing that kind's earlier ones; returns them
   * by name. Throws when the datamodule has no loader of that kind.
   */
  createDataloaders(kind: LoaderKind): Record<string, AnyDataLoader> {
    if (!KINDS.includes(kind)) throw new DataConfigError(`createDataloaders(${String(kind)}): expected one of ${KINDS.join(', ')}`);
    const made = this.factory(kind).call(this);
    if (made === undefined) {
      throw new DataConfigError(`${this.constructor.name} has no ${kind} loader: implement ${kind}Dataloader()`);
    }
    const named: Record<string, AnyDataLoader> = isLoader(made) ? { [kind]: made } : prefixed(kind, made);
    if (Object.keys(named).length === 0) throw new DataConfigError(`${this.constructor.name}.${kind}Dataloader() returned no loaders`);
    for (const name of Object.keys(this.registered)) {
      if (name === kind || name.startsWith(`${kind}.`)) delete this.registered[name];
    }
    Object.assign(this.registered, named);
    return named;
  }

  /** The loaders created so far, by name. */
  get dataloaders(): Readonly<Record<string, AnyDataLoader>> {
    return { ...(this.registered as Record<string, AnyDataLoader>) };
  }

  private factory(kind: LoaderKind): () => LoaderSet | undefined {
    switch (kind) {
      case 'train':
        return this.trainDataloader;
      case 'val':
        return this.valDataloader;
      case 'test':
        return this.testDataloader;
      case 'predict':
        return this.predictDataloader;
    }
  }
}

function isLoader(value: LoaderSet): value is AnyDataLoader {
  return typeof (value as { stateDict?: unknown }).stateDict === 'function' && Symbol.asyncIterator in value;
}

function prefixed(kind: LoaderKind, loaders: { readonly [name: string]: AnyDataLoader }): Record<string, AnyDataLoader> {
  const out: Record<string, AnyDataLoader> = {};
  for (const [key, loader] of Object.entries(loaders)) {
    if (!isLoader(loader)) throw new DataConfigError(`${kind}Dataloader() returned a record whose ${key} is not a DataLoader`);
    out[`${kind}.${key}`] = loader;
  }
  return out;
}
