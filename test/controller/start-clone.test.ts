import { inMemoryRoomHost, standInRoomHost } from './make-room.contract.js';
import { startCloneContract } from './start-clone.contract.js';

startCloneContract('InMemoryVBoxManageClient', inMemoryRoomHost);
startCloneContract('ExecaVBoxManageClient and the VBoxManage stand-in', standInRoomHost);
