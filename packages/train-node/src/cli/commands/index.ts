import type { CAC } from 'cac';
import { register as denoiseCli } from './denoise';
import { register as embedCli } from './embed';
import { register as evalCli } from './eval';
import { register as exportCli } from './export';
import { register as imputeCli } from './impute';
import { register as inspectCli } from './inspect';
import { register as interpCli } from './interp';
import { register as plotCli } from './plot';
import { register as reconCli } from './recon';
import { register as sampleCli } from './sample';
import { register as scoreCli } from './score';
import { register as trainCli } from './train';

/** Declares one `vae` subcommand (its flags and action) on a cac instance. */
export type RegisterCommand = (cli: CAC) => void;

/**
 * Every `vae` subcommand, in the order `vae --help` lists them. Each lives in its own file beside
 * this one and calls a library function that `@vae/train-node` also exports (trainCommand,
 * evalCommand, exportRun, ...). A new command is a new file and one line here.
 */
export const COMMANDS: readonly RegisterCommand[] = [
  trainCli,
  evalCli,
  scoreCli,
  exportCli,
  imputeCli,
  embedCli,
  denoiseCli,
  sampleCli,
  reconCli,
  interpCli,
  inspectCli,
  plotCli,
];
