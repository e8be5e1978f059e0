import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const app = await NestFactory.create(AppModule);
await app.listen(Number(process.env.PORT ?? 3000));
console.log(
  `Example host app on http://localhost:${process.env.PORT ?? 3000}/login/`,
);
