import { describe, expect, it } from 'vitest';
import { callClassOf, callClassOfMethod, RPC_CLASSES, shortRpcName } from './policy';

describe('call classes by method name', () => {
  it('names every RPC of the table with the same class as its full name, so cached reads are checked like live ones', () => {
    for (const [rpc, callClass] of Object.entries(RPC_CLASSES)) {
      const method = shortRpcName(rpc).split('/')[1]!;
      expect(callClassOfMethod(method), method).toBe(callClass);
      expect(callClassOf(rpc)).toBe(callClass);
    }
  });

  it('refuses names it does not know, whatever their case', () => {
    expect(callClassOfMethod('getPortfolio')).toBeNull();
    expect(callClassOfMethod('PostStopOrder')).toBeNull();
    expect(callClassOfMethod('')).toBeNull();
  });
});
