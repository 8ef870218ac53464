// Placeholder for the sample node (issue 7): prints what is available so far.
console.log('ethp2p: the sample full node arrives with @ethp2p/node.');
