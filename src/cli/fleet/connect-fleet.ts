// Several hosts at once: one connection per host (as connect() makes for one --host), held together as a
// BalloonFleet so that a command reads them in parallel and says which host each answer comes from.
import { BalloonFleet } from '../../index.js';
import { connect, type ConnectFlags, type Connection } from '../connect.js';
import type { Ui } from '../ui.js';
import type { HostEntry } from './hosts-file.js';

/** One host of the fleet and its connection. */
export interface FleetMember {
  /** The host's name (the HOST column, `host` in JSON). */
  readonly name: string;
  /** Its ssh target as written (`ssh://vbox@lab-1:22`): what a record for give-back names. */
  readonly target: string;
  readonly connection: Connection;
}

/** The fleet a command runs across. */
export interface FleetConnection {
  readonly fleet: BalloonFleet;
  /** In the order the command line names them. */
  readonly members: readonly FleetMember[];
  /** Close every host's connection. */
  close(): Promise<void>;
}

/** Connect to every host; nothing is run until a command calls the fleet. */
export function connectFleet(hosts: readonly HostEntry[], flags: Omit<ConnectFlags, 'host' | 'label' | 'simulate'>, ui: Ui): FleetConnection {
  const members = hosts.map((h) => ({ name: h.name, target: h.target, connection: connect({ ...flags, simulate: false, host: h.target, label: h.name }, ui) }));
  return {
    fleet: new BalloonFleet(members.map((m) => ({ name: m.name, controller: m.connection.controller }))),
    members,
    close: async () => {
      await Promise.all(members.map((m) => m.connection.close()));
    },
  };
}
