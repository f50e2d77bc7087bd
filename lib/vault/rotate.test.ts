import { describe, expect, it } from 'vitest';
import { openToken } from './open-token';
import { rotate, vaultStatus } from './rotate';
import { sealToken } from './seal-token';
import { kekVersionOf } from './sealed-record';
import { fakeToken, MemoryStore, randomKey, ringOf } from './test-support';
import { revealToken } from './token-handle';
import { VaultError } from './vault-error';

/** Seals `count` tokens with `ring` into a fresh store; returns the store and the plaintexts. */
function seeded(ring: ReturnType<typeof ringOf>, count: number) {
  const store = new MemoryStore();
  const values = new Map<string, string>();
  for (let index = 0; index < count; index += 1) {
    const id = `tok_${index}`;
    const value = fakeToken();
    values.set(id, value);
    store.rows.set(id, sealToken(ring, { id, kind: 'tinvest', value }));
  }
  return { store, values };
}

function expectAllReadable(ring: ReturnType<typeof ringOf>, store: MemoryStore, values: Map<string, string>) {
  for (const [id, sealed] of store.rows) expect(revealToken(openToken(ring, { id, kind: 'tinvest', sealed }))).toBe(values.get(id));
}

/** The nonce and ciphertext fields: what rotation must leave untouched. */
function payload(sealed: string): string {
  return sealed.split('.').slice(4).join('.');
}

describe('rotate', () => {
  it('rewraps every data key under the new version without touching the token ciphertext', async () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const { store, values } = seeded(ringOf({ 1: k1 }), 7);
    const before = new Map(store.rows);
    const ring = ringOf({ 1: k1, 2: k2 });

    const result = await rotate(ring, store, { batchSize: 3 });

    expect(result).toEqual({ kekVersion: 2, rewrapped: 7, skipped: 0 });
    for (const [id, sealed] of store.rows) {
      expect(kekVersionOf(sealed)).toBe(2);
      expect(payload(sealed)).toBe(payload(before.get(id)!));
      expect(sealed.split('.')[3]).not.toBe(before.get(id)!.split('.')[3]);
    }
    expectAllReadable(ring, store, values);
    // Version 1 can now be retired.
    expectAllReadable(ringOf({ 2: k2 }), store, values);
  });

  it('is a no-op when everything is already on the current version', async () => {
    const ring = ringOf({ 1: randomKey() });
    const { store } = seeded(ring, 3);
    const before = new Map(store.rows);
    expect(await rotate(ring, store)).toEqual({ kekVersion: 1, rewrapped: 0, skipped: 0 });
    expect(store.rows).toEqual(before);
  });

  it('rewraps several old versions into the current one', async () => {
    const [k1, k2, k3] = [randomKey(), randomKey(), randomKey()];
    const { store, values } = seeded(ringOf({ 1: k1 }), 4);
    // Half the records were written after an earlier rotation to version 2.
    for (const id of ['tok_2', 'tok_3']) store.rows.set(id, sealToken(ringOf({ 1: k1, 2: k2 }), { id, kind: 'tinvest', value: values.get(id)! }));
    const ring = ringOf({ 1: k1, 2: k2, 3: k3 });
    expect((await rotate(ring, store)).rewrapped).toBe(4);
    expectAllReadable(ringOf({ 3: k3 }), store, values);
  });

  it('leaves every record readable when interrupted, and a second run finishes the job', async () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const { store, values } = seeded(ringOf({ 1: k1 }), 10);
    const before = new Map(store.rows);
    const ring = ringOf({ 1: k1, 2: k2 });
    store.failOnSwap = 5;

    await expect(rotate(ring, store, { batchSize: 4 })).rejects.toThrow('database connection lost');

    const versions = [...store.rows.values()].map(kekVersionOf);
    expect(versions.filter((version) => version === 2)).toHaveLength(4);
    expect(versions.filter((version) => version === 1)).toHaveLength(6);
    expectAllReadable(ring, store, values);
    expect((await vaultStatus(ring, store)).versions.map(({ version, records }) => [version, records])).toEqual([
      [1, 6],
      [2, 4],
    ]);

    store.failOnSwap = undefined;
    expect(await rotate(ring, store, { batchSize: 4 })).toEqual({ kekVersion: 2, rewrapped: 6, skipped: 0 });
    expect([...store.rows.values()].every((sealed) => kekVersionOf(sealed) === 2)).toBe(true);
    for (const [id, sealed] of store.rows) expect(payload(sealed)).toBe(payload(before.get(id)!));
    expectAllReadable(ringOf({ 2: k2 }), store, values);
  });

  it('skips a record re-deposited during the rotation, and rewraps one changed to another old record', async () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const old = ringOf({ 1: k1 });
    const { store, values } = seeded(old, 3);
    const ring = ringOf({ 1: k1, 2: k2 });
    let changed = false;
    store.beforeSwap = (id) => {
      if (changed) return;
      changed = true;
      // A concurrent replacement written by a process still on the old ring.
      const value = fakeToken();
      values.set(id, value);
      store.rows.set(id, sealToken(old, { id, kind: 'tinvest', value }));
    };
    const result = await rotate(ring, store);
    expect(result).toEqual({ kekVersion: 2, rewrapped: 3, skipped: 1 });
    expectAllReadable(ringOf({ 2: k2 }), store, values);
  });

  it('stops with a clear error when a record keeps changing', async () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const old = ringOf({ 1: k1 });
    const { store } = seeded(old, 1);
    store.beforeSwap = (id) => store.rows.set(id, sealToken(old, { id, kind: 'tinvest', value: fakeToken() }));
    const error = await rotate(ringOf({ 1: k1, 2: k2 }), store).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).message).toBe('Rotation stopped: the record tok_0 keeps changing during the rewrap. Run the rotation again.');
  });

  it('refuses to start without the key of a version still in use, before changing anything', async () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const { store } = seeded(ringOf({ 1: k1 }), 2);
    const before = new Map(store.rows);
    const error = await rotate(ringOf({ 2: k2 }), store).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).reason).toBe('missing_key');
    expect((error as VaultError).message).toBe('Cannot rotate: STRONGROOM_MASTER_KEY lacks key version 1, which records still use.');
    expect(store.rows).toEqual(before);
    expect(store.swaps).toBe(0);
  });

  it('refuses a store whose compareAndSwap does not persist', async () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const { store } = seeded(ringOf({ 1: k1 }), 1);
    store.compareAndSwap = async () => true;
    await expect(rotate(ringOf({ 1: k1, 2: k2 }), store)).rejects.toThrow(/lists tok_0 under key version 1 after rewrapping it/);
  });

  it('seals new deposits with the new version once it is in the ring', () => {
    const [k1, k2] = [randomKey(), randomKey()];
    expect(kekVersionOf(sealToken(ringOf({ 1: k1 }), { id: 'a', kind: 'tinvest', value: 'v' }))).toBe(1);
    expect(kekVersionOf(sealToken(ringOf({ 1: k1, 2: k2 }), { id: 'a', kind: 'tinvest', value: 'v' }))).toBe(2);
  });
});

describe('vaultStatus', () => {
  it('lists key versions, check values and record counts, including versions missing from the ring', async () => {
    const [k1, k2, k3] = [randomKey(), randomKey(), randomKey()];
    const { store } = seeded(ringOf({ 1: k1 }), 2);
    store.rows.set('x', sealToken(ringOf({ 3: k3 }), { id: 'x', kind: 'tinvest', value: 'v' }));
    const ring = ringOf({ 1: k1, 2: k2 });
    const [kcv1, kcv2] = ring.checkValues().map((entry) => entry.kcv);
    expect(await vaultStatus(ring, store)).toEqual({
      current: 2,
      versions: [
        { version: 1, current: false, inRing: true, records: 2, kcv: kcv1 },
        { version: 2, current: true, inRing: true, records: 0, kcv: kcv2 },
        { version: 3, current: false, inRing: false, records: 1 },
      ],
    });
  });
});
