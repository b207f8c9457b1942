// Truthful results (interrupted and doubtful changes) against the real client and the VBoxManage stand-in.
import { standInTruthful, truthfulContract } from './truthful.contract.js';

truthfulContract(standInTruthful);
