import { inMemoryRoomHost, makeRoomContract, standInRoomHost } from './make-room.contract.js';

makeRoomContract('InMemoryVBoxManageClient', inMemoryRoomHost);
makeRoomContract('ExecaVBoxManageClient and the VBoxManage stand-in', standInRoomHost);
