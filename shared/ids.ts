// Identifiers: UUIDv7, so ids sort by creation time and listing by id is a stable, creation-ordered walk.
import { v7 as uuidv7 } from 'uuid';

export const newId = (): string => uuidv7();

export const nowIso = (now: Date = new Date()): string => now.toISOString();

export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
