/* Threads: 8 threads x 100k mutex lock cycles, a condition-variable
 * hand-off, a rwlock, a barrier and __thread TLS. Prints totals that are
 * the same on every run and every system. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NT 8
#define CYCLES 100000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t bar;
static long counter, rw_value, rw_reads;
static int turn; /* which thread may take the next baton */
static long baton;
static __thread long tls_sum;
static __thread int tls_init = 7;
static long tls_total, tls_init_total;

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	tls_init += id;
	/* 1: everyone waits until all are running */
	pthread_barrier_wait(&bar);
	for (int i = 0; i < CYCLES; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
		tls_sum += i % 3;
	}
	/* 2: a baton passed in thread order through the condition variable */
	for (int round = 0; round < 100; round++) {
		pthread_mutex_lock(&mu);
		while (turn != id)
			pthread_cond_wait(&cv, &mu);
		baton = baton * 3 % 1000003 + id;
		turn = (turn + 1) % NT;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	/* 3: rwlock: many readers, a few writers */
	for (int i = 0; i < 1000; i++) {
		if (i % 10 == 0) {
			pthread_rwlock_wrlock(&rw);
			rw_value += id + 1;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			long v = rw_value;
			(void)v;
			pthread_rwlock_unlock(&rw);
			pthread_mutex_lock(&mu);
			rw_reads++;
			pthread_mutex_unlock(&mu);
		}
	}
	int serial = pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD;
	pthread_mutex_lock(&mu);
	tls_total += tls_sum;
	tls_init_total += tls_init;
	pthread_mutex_unlock(&mu);
	return (void *)(long)serial;
}

int main(void)
{
	pthread_t t[NT];
	long serials = 0;
	pthread_barrier_init(&bar, NULL, NT);
	for (long i = 0; i < NT; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
			printf("pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < NT; i++) {
		void *r;
		pthread_join(t[i], &r);
		serials += (long)r;
	}
	pthread_barrier_destroy(&bar);
	printf("mutex counter %ld (want %d)\n", counter, NT * CYCLES);
	printf("cond baton %ld\n", baton);
	printf("rwlock value %ld reads %ld\n", rw_value, rw_reads);
	printf("barrier serial threads %ld\n", serials);
	printf("tls sums %ld inits %ld main tls %ld/%d\n", tls_total, tls_init_total, tls_sum, tls_init);
	return counter == NT * CYCLES ? 0 : 1;
}
