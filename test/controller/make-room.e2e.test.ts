import { standIn } from '../helpers/backend.js';
import { makeRoomContract } from './make-room.contract.js';

makeRoomContract(standIn);
