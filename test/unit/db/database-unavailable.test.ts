import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../src/db/database-unavailable.js';

describe('isDatabaseUnavailable', () => {
  it.each([
    ['Prisma cannot reach the server', { name: 'PrismaClientKnownRequestError', code: 'P1001', message: "Can't reach database server at 127.0.0.1:5999" }],
    ['a raw query whose adapter could not connect', { code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable' } } } }],
    ['the adapter lost its connection', { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } } }],
    ['pg refused by the socket (pg-boss)', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['pg: connection terminated mid-query', new Error('Connection terminated unexpectedly')],
    ['the server shutting down (57P01)', { code: '57P01', message: 'terminating connection due to administrator command' }],
    ['the server starting up (57P03)', { code: '57P03', message: 'the database system is starting up' }],
    ['a connection exception class (08006)', { code: '08006', message: 'connection failure' }],
    ['a wrapped cause', new Error('activity handling failed', { cause: { code: 'P1001' } })],
    ['several failed attempts', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', { code: 'P2002', message: 'Unique constraint failed' }],
    ['a missing row', { code: 'P2025' }],
    ['a NUL in text (22021)', { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
