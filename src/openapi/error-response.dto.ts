import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The body of every error answer: Nest's own shape (an HttpException's), which
 * the rate limit and the body parser's errors follow too.
 */
export class ErrorResponseDto {
  @ApiProperty({ description: 'The HTTP status code again', example: 404 })
  statusCode!: number;

  @ApiProperty({
    description: 'What went wrong, in words for people',
    example: 'Unknown login',
  })
  message!: string;

  @ApiPropertyOptional({
    description:
      "The status code's name; absent on a 429 and on the body parser's 400, 413 and 415",
    example: 'Not Found',
  })
  error?: string;
}
