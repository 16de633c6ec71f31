export const greet = (name) => `Hello, ${name}, from a bundle made on FreeBSD (via BSDulator)!`;
