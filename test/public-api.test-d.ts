import { expectTypeOf, test } from 'vitest';
import type { Result } from 'neverthrow';
import * as api from '../src/index.js';
import type { BalloonError, BalloonErrorCode, HostInfo, VmInfo } from '../src/index.js';

// Stops compiling when a code is added without a case: that is the point.
function describeCode(e: BalloonError): string {
  switch (e.code) {
    case 'HOST_UNSUPPORTED':
      return e.os;
    case 'INVALID_ARGUMENT':
      return e.argument;
    case 'INVALID_BALLOON_SIZE':
      return String(e.maxMb);
    case 'VM_NOT_FOUND':
      return String(e.vboxCode);
    case 'INVALID_VM_STATE':
      return e.allowedStates.join();
    case 'LARGE_PAGES_ENABLED':
      return e.message;
    case 'GUEST_ADDITIONS_NOT_RUNNING':
      return String(e.runLevel);
    case 'VM_LOCKED':
      return String(e.transient);
    case 'VBOXMANAGE_NOT_FOUND':
      return e.searched.join();
    case 'VBOXMANAGE_FAILED':
      return e.stderr;
    case 'TIMEOUT':
      return String(e.timeoutMs);
    case 'ABORTED':
      return e.argv.join();
    case 'PARSE_ERROR':
      return e.excerpt;
    case 'BLOCKED':
      return e.blockers.map((b) => b.code).join();
    case 'RECLAIM_SHORTFALL':
      return String(e.reclaimableMb);
    case 'APPLY_FAILED':
      return e.changes.map((c) => c.rollback).join();
    case 'AUTOPILOT_RUNNING':
      return e.message;
    case 'SSH_FAILED':
      return e.kind;
    case 'NO_ROOM':
      return String(e.missingMb);
    case 'ROOM_NOT_READY':
      return String(e.freedMb);
    case 'VM_EXISTS':
      return e.name;
    case 'SNAPSHOT_NOT_FOUND':
      return e.snapshots.join();
    case 'NO_HOST':
      return e.refusals.map((r) => r.host).join();
    default: {
      const never: never = e;
      return never;
    }
  }
}

test('an exhaustive switch on code compiles', () => {
  expectTypeOf(describeCode).returns.toEqualTypeOf<string>();
});

test('errors are readonly', () => {
  expectTypeOf<BalloonError['code']>().toEqualTypeOf<BalloonErrorCode>();
  const e = {} as BalloonError;
  // @ts-expect-error fields are readonly
  e.message = 'changed';
});

test('pure functions return Results', () => {
  expectTypeOf(api.validateBalloonSize).returns.toEqualTypeOf<Result<number, api.InvalidBalloonSizeError>>();
  expectTypeOf(api.parseShowVmInfo).returns.toEqualTypeOf<Result<VmInfo, api.ParseError>>();
  expectTypeOf(api.checkHostSupport).returns.toEqualTypeOf<Result<HostInfo, api.HostUnsupportedError | api.InvalidArgumentError>>();
});

test('the factories build controllers and fleets over the real client', () => {
  expectTypeOf(api.localController).returns.toEqualTypeOf<api.BalloonController>();
  expectTypeOf(api.remoteController).parameter(0).toEqualTypeOf<string>();
  expectTypeOf(api.remoteController).returns.toEqualTypeOf<api.BalloonController>();
  expectTypeOf(api.fleetFromTargets).returns.toEqualTypeOf<api.BalloonFleet>();
  expectTypeOf<api.FleetFromTargetsOptions['onEvent']>().toEqualTypeOf<((host: string, event: api.BalloonEvent) => void) | undefined>();
  // The facade no longer names an adapter.
  expectTypeOf(api.BalloonController).not.toHaveProperty('local');
  expectTypeOf(api.BalloonFleet).not.toHaveProperty('fromTargets');
});

test('Page Fusion in the public types', () => {
  expectTypeOf<VmInfo['pageFusion']>().toEqualTypeOf<boolean | null>();
  expectTypeOf<api.GuestMemory['sharedMb']>().toEqualTypeOf<number | null>();
  expectTypeOf<api.ModifyVmSettings['pageFusion']>().toEqualTypeOf<boolean | undefined>();
  expectTypeOf<api.PrepareOptions['pageFusion']>().toEqualTypeOf<boolean | undefined>();
  expectTypeOf<api.BalloonStatus['pageFusion']>().toEqualTypeOf<api.PageFusionStatus>();
  expectTypeOf<api.PageFusionStatus>().toEqualTypeOf<{ readonly enabled: boolean | null; readonly sharedMb: number | null; readonly hint: string | null }>();
  expectTypeOf<api.SettingsChange['pageFusion']>().toEqualTypeOf<api.Transition<boolean | null> | undefined>();
  expectTypeOf(api.pageFusionBlockers).returns.toEqualTypeOf<readonly api.PageFusionBlocker[]>();
  expectTypeOf(api.checkPageFusionHost).returns.toEqualTypeOf<Result<HostInfo, api.HostUnsupportedError | api.InvalidArgumentError>>();
});
