/** rpcnet production, US East: one of the seed's two regions. */
import { defineEnvironment } from '@kiln/model';
import { rpcnetProduction } from './systems/rpcnet.js';

export default defineEnvironment(rpcnetProduction({ name: 'rpcnet-us-east', region: 'us-east-1', cluster: 'prod-us-east' }));
