-- Sign-in throttling counters (issue 11, item 5), shared by every web replica. The layout is the
-- one rate-limiter-flexible's PostgreSQL store expects (created here, not by the library at run
-- time, so the app's database role needs no CREATE). Keys are sha256 of the email or address.
CREATE TABLE "sign_in_throttle" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "sign_in_throttle_pkey" PRIMARY KEY ("key")
);
