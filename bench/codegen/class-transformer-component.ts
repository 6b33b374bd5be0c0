/**
 * The same component for class-transformer's `instanceToPlain`/`plainToInstance` (what a user would reach for
 * without kindling). class-transformer validates nothing: wrong input is copied in as it is.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';

export class TransformerSchedule {
  warmup = 0;
  milestones: number[] = [];
  decay: 'linear' | 'cosine' = 'cosine';
}

export class TransformerScheduler {
  step = 0;
  lr = 0.001;
  betas: [number, number] = [0.9, 0.999];
  mode: 'min' | 'max' = 'min';
  best: number | null = null;
  wait = 0;
  history: number[] = [];
  metrics: Record<string, number> = {};
  @Type(() => TransformerSchedule) schedule: TransformerSchedule = new TransformerSchedule();
  tags: string[] = [];
  @Type(() => Date) lastImproved: Date = new Date(0);
  @Type(() => Number) counts: Map<string, number> = new Map();
}
